/**
 * Control messages on the shared data channel (id 0) are JSON text with an `ns`
 * naming the feature, so several features share the channel and ignore each other.
 */
export function parseEnvelope(data: string | ArrayBuffer, ns: string): Record<string, unknown> | null {
  if (typeof data !== 'string' || data.length > 8192) {
    return null;
  }
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value === 'object' && value !== null && (value as { ns?: unknown }).ns === ns) {
      return value as Record<string, unknown>;
    }
  } catch {
    /* not ours */
  }
  return null;
}

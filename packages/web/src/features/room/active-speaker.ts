/**
 * The one tile highlighted as the active speaker. Several people may be above the
 * speaking threshold at once (a laugh, an interruption); the highlight stays with whoever
 * had it while they keep speaking, so it does not jump between tiles every sample, and
 * moves to the first other speaker (remote before self: you know when you talk) when they
 * stop. Null when nobody speaks.
 */
export function nextActiveSpeaker(
  current: string | null,
  speaking: ReadonlySet<string>,
  selfId: string,
): string | null {
  if (current !== null && speaking.has(current)) {
    return current;
  }
  const remote = [...speaking].find((id) => id !== selfId);
  if (remote !== undefined) {
    return remote;
  }
  return speaking.has(selfId) ? selfId : null;
}

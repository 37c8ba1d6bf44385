import { isIP } from 'node:net';

/**
 * Which Host headers this server answers to. A page on an attacker's domain that
 * resolves to a LAN server's address (DNS rebinding) sends the attacker's host name;
 * refusing names the operator did not configure keeps such a page from reading the API
 * as same-origin. Like Vite's `allowedHosts`: localhost (and *.localhost) and IP literals
 * always pass; `.example.com` allows the domain and its subdomains; `all` turns it off.
 */
export function hostAllower(
  allowed: readonly string[],
): (hostHeader: string | undefined) => boolean {
  const list = allowed.map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  if (list.includes('all')) {
    return () => true;
  }
  const exact = new Set(list.filter((h) => !h.startsWith('.')));
  const suffixes = list.filter((h) => h.startsWith('.'));
  return (hostHeader) => {
    const name = hostName(hostHeader);
    if (name === null) {
      return false;
    }
    if (name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0) {
      return true;
    }
    if (exact.has(name)) {
      return true;
    }
    return suffixes.some((s) => name === s.slice(1) || name.endsWith(s));
  };
}

/** The name part of a Host header, lower-case, without port or IPv6 brackets. */
export function hostName(hostHeader: string | undefined): string | null {
  if (!hostHeader) {
    return null;
  }
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : null;
  }
  const colon = h.indexOf(':');
  const name = colon === -1 ? h : h.slice(0, colon);
  // A trailing dot names the same host (example.com.).
  return name.endsWith('.') ? name.slice(0, -1) : name || null;
}

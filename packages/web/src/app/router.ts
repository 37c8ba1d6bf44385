// No React here: the early join (entry chunk, before React loads) parses routes too.

/** The pages the app has. Anything else falls back to the landing page. */
export type Route =
  | { page: 'landing' }
  | { page: 'room'; roomId: string; params: URLSearchParams }
  | { page: 'signin' | 'signup' | 'contacts' | 'meet' | 'board' }
  | { page: 'not-found'; path: string };

// pushState fires no event, so navigate() announces changes on this one.
export const NAVIGATE_EVENT = 'parley:navigate';

/** Map a location to a route. Pure, so it is easy to test. */
export function parseRoute(pathname: string, search: string): Route {
  if (pathname === '/' || pathname === '') {
    return { page: 'landing' };
  }
  const page = pathname.replace(/\/$/, '').slice(1);
  if (
    page === 'signin' ||
    page === 'signup' ||
    page === 'contacts' ||
    page === 'meet' ||
    page === 'board'
  ) {
    return { page };
  }
  const match = /^\/r\/([^/]+)\/?$/.exec(pathname);
  if (match) {
    return {
      page: 'room',
      roomId: decodeURIComponent(match[1] as string),
      params: new URLSearchParams(search),
    };
  }
  return { page: 'not-found', path: pathname };
}

/** Go to `to` (a same-origin path) without reloading the page. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    history.replaceState(null, '', to);
  } else {
    history.pushState(null, '', to);
  }
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

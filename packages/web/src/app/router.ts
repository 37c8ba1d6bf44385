import { useSyncExternalStore } from 'react';

/** The pages the app has. Anything else falls back to the landing page. */
export type Route =
  | { page: 'landing' }
  | { page: 'room'; roomId: string; params: URLSearchParams }
  | { page: 'signin' | 'signup' | 'contacts' | 'meet' | 'board' }
  | { page: 'not-found'; path: string };

// pushState fires no event, so navigate() announces changes on this one.
const NAVIGATE_EVENT = 'parley:navigate';

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

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const currentUrl = (): string => location.pathname + location.search;

/** The current route; re-renders on navigate() and on the browser's back/forward. */
export function useRoute(): Route {
  const url = useSyncExternalStore(subscribe, currentUrl);
  const [pathname, search = ''] = splitUrl(url);
  return parseRoute(pathname, search);
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q)];
}

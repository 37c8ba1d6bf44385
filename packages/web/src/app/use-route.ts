import { useSyncExternalStore } from 'react';
import { NAVIGATE_EVENT, parseRoute, type Route } from './router';

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

import { useEffect, useRef } from 'react';
import type { IncomingCall } from '@parley/client';
import { announce } from '../a11y/announcer';
import { t } from '../../i18n/i18n';

/**
 * Make a ringing call hard to miss, beyond the on-page notice and ringtone:
 * - it is said in the live region;
 * - the tab's title reads "Incoming call — Ana" while it rings, and is restored after;
 * - while the page is hidden (another tab in front, window minimized), a system
 *   notification shows it, if the user allowed notifications; clicking it brings the
 *   tab forward. It closes when the ringing stops. A call that starts ringing while the
 *   page is visible gets its notification when the page is hidden, if still ringing.
 */
export function useIncomingCallAlerts(ringing: readonly IncomingCall[]): void {
  const announced = useRef(new Set<string>());
  const shown = useRef(new Map<string, Notification>());

  // Announce each new ring once.
  useEffect(() => {
    for (const ring of ringing) {
      if (!announced.current.has(ring.id)) {
        announced.current.add(ring.id);
        announce(
          t(ring.media === 'video' ? 'a11y.incomingVideo' : 'a11y.incomingVoice', {
            name: ring.from.username,
          }),
        );
      }
    }
    const live = new Set(ringing.map((r) => r.id));
    for (const id of announced.current) {
      if (!live.has(id)) {
        announced.current.delete(id);
      }
    }
  }, [ringing]);

  // The title follows the first ringing call.
  const caller = ringing[0]?.from.username ?? null;
  useEffect(() => {
    if (caller === null) {
      return;
    }
    const previous = document.title;
    document.title = t('notify.tabTitle', { name: caller });
    return () => {
      document.title = previous;
    };
  }, [caller]);

  // System notifications while hidden; closed when the ring ends.
  useEffect(() => {
    const notifyHidden = (): void => {
      if (document.visibilityState !== 'hidden') {
        return;
      }
      for (const ring of ringing) {
        if (!shown.current.has(ring.id)) {
          const n = showCallNotification(ring);
          if (n) {
            shown.current.set(ring.id, n);
          }
        }
      }
    };
    notifyHidden();
    document.addEventListener('visibilitychange', notifyHidden);
    const live = new Set(ringing.map((r) => r.id));
    for (const [id, n] of shown.current) {
      if (!live.has(id)) {
        n.close();
        shown.current.delete(id);
      }
    }
    return () => document.removeEventListener('visibilitychange', notifyHidden);
  }, [ringing]);

  // Leaving the page closes what it showed.
  useEffect(() => {
    const notes = shown.current;
    return () => {
      notes.forEach((n) => n.close());
      notes.clear();
    };
  }, []);
}

/** A system notification for `ring`, or null when not allowed or not possible. */
function showCallNotification(ring: IncomingCall): Notification | null {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') {
    return null;
  }
  try {
    const n = new Notification(
      t(ring.media === 'video' ? 'notify.videoTitle' : 'notify.voiceTitle', {
        name: ring.from.username,
      }),
      {
        body: t('notify.body'),
        // One notification per call, even if shown again by another tab of the browser.
        tag: `parley-call-${ring.id}`,
        icon: '/icons/parley-192.png',
        requireInteraction: true,
      },
    );
    n.onclick = () => {
      window.focus();
      n.close();
    };
    return n;
  } catch (err) {
    // Chromium on Android allows notifications only from a service worker.
    console.warn('parley: could not show a notification', err);
    return null;
  }
}

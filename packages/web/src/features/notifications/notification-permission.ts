import { useCallback, useEffect, useState } from 'react';

/** What the browser allows: `unsupported` where there is no Notifications API. */
export type RingPermission = NotificationPermission | 'unsupported';

export function currentPermission(): RingPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * The Notifications permission and a way to ask for it. Asking is left to a button the
 * user presses (browsers ignore or penalize prompts on page load, and a prompt nobody
 * asked for is usually refused for good). The state follows changes made in the site
 * settings: the Permissions API's change event where there is one, and a re-read
 * whenever the tab comes back.
 */
export function useNotificationPermission(): {
  permission: RingPermission;
  request: () => Promise<void>;
} {
  const [permission, setPermission] = useState<RingPermission>(currentPermission);
  useEffect(() => {
    const reread = (): void => setPermission(currentPermission());
    document.addEventListener('visibilitychange', reread);
    let status: PermissionStatus | null = null;
    let gone = false;
    navigator.permissions
      ?.query({ name: 'notifications' })
      .then((s) => {
        if (!gone) {
          status = s;
          s.addEventListener('change', reread);
        }
      })
      .catch(() => undefined);
    return () => {
      gone = true;
      status?.removeEventListener('change', reread);
      document.removeEventListener('visibilitychange', reread);
    };
  }, []);
  const request = useCallback(async () => {
    if (typeof Notification === 'undefined') {
      return;
    }
    try {
      setPermission(await Notification.requestPermission());
    } catch {
      setPermission(currentPermission());
    }
  }, []);
  return { permission, request };
}

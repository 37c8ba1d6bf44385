/**
 * Every user-visible string that the accessibility and notification features added
 * (live-region announcements, notification texts, labels). Plain English here so that
 * they move into the message catalogue in one place.
 */

export const A11Y_STRINGS = {
  /** The button that asks for the Notifications permission (contacts page). */
  ringMeButton: 'Ring me when this tab is hidden',
  ringMeOn: 'This tab rings with a system notification when it is hidden.',
  ringMeBlocked:
    'Notifications are blocked for this site: allow them in the browser’s site settings to be rung when this tab is hidden.',
  ringMeUnsupported: 'This browser cannot show notifications.',
  notificationBody: 'Click to answer in Parley.',
} as const;

export const announceJoined = (name: string): string => `${name} joined the call`;
export const announceLeft = (name: string): string => `${name} left the call`;
export const announceIncomingCall = (name: string, video: boolean): string =>
  video ? `Incoming video call from ${name}` : `Incoming voice call from ${name}`;
export const announceChatMessage = (name: string, text: string): string => `${name} says: ${text}`;
/** Said when a burst of announcements is cut short: "and 4 more updates". */
export const announceMore = (count: number): string =>
  count === 1 ? 'and 1 more update' : `and ${count} more updates`;

/** The tab's title while a call rings: "Incoming call — Ana". */
export const incomingCallTitle = (name: string): string => `Incoming call — ${name}`;
/** The system notification's title. */
export const incomingCallNotificationTitle = (name: string, video: boolean): string =>
  video ? `${name} is video calling you` : `${name} is calling you`;

import type { Messages } from '../translate';

/** What the live region says, and the words of "calls you don't miss" (notifications). */
export const a11y = {
  'a11y.joined': '{name} joined the call',
  'a11y.left': '{name} left the call',
  'a11y.incomingVideo': 'Incoming video call from {name}',
  'a11y.incomingVoice': 'Incoming voice call from {name}',
  'a11y.chatMessage': '{name} says: {text}',
  'a11y.more': { one: 'and {count} more update', other: 'and {count} more updates' },
  'notify.ringMe': 'Ring me when this tab is hidden',
  'notify.ringMeOn': 'This tab rings with a system notification when it is hidden.',
  'notify.ringMeBlocked':
    'Notifications are blocked for this site: allow them in the browser’s site settings to be rung when this tab is hidden.',
  'notify.ringMeUnsupported': 'This browser cannot show notifications.',
  'notify.body': 'Click to answer in Parley.',
  'notify.tabTitle': 'Incoming call — {name}',
  'notify.videoTitle': '{name} is video calling you',
  'notify.voiceTitle': '{name} is calling you',
} satisfies Messages;

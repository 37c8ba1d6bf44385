import { t } from '../../i18n/i18n';

/**
 * The words of the live region and of notifications, in the active language (from the
 * catalogue, `i18n/*\/a11y.ts`). Functions, not constants: each call reads the language
 * chosen at that moment.
 */
export const announceJoined = (name: string): string => t('a11y.joined', { name });
export const announceLeft = (name: string): string => t('a11y.left', { name });
export const announceIncomingCall = (name: string, video: boolean): string =>
  t(video ? 'a11y.incomingVideo' : 'a11y.incomingVoice', { name });
export const announceChatMessage = (name: string, text: string): string =>
  t('a11y.chatMessage', { name, text });
/** Said when a burst of announcements is cut short: "and 4 more updates". */
export const announceMore = (count: number): string => t('a11y.more', { count });

/** The tab's title while a call rings: "Incoming call — Ana". */
export const incomingCallTitle = (name: string): string => t('notify.tabTitle', { name });
/** The system notification's title. */
export const incomingCallNotificationTitle = (name: string, video: boolean): string =>
  t(video ? 'notify.videoTitle' : 'notify.voiceTitle', { name });
/** The system notification's body. */
export const incomingCallNotificationBody = (): string => t('notify.body');

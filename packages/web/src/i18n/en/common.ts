import type { Messages } from '../translate';

/** Words shared by several pages: the app, the name field, media toggles, the language menu. */
export const common = {
  'app.name': 'Parley',
  'language.label': 'Language',
  'common.dismiss': 'Dismiss',
  'common.close': 'Close',
  'common.ok': 'OK',
  'common.cancel': 'Cancel',
  'common.startPage': 'Go to the start page',
  'common.startPageShort': 'Start page',
  'common.tryAgain': 'Try again',
  'notFound.title': 'Nothing here',
  'notFound.text': 'There is no page at {path}. Room links look like /r/ followed by the room ID.',
  'name.label': 'Your name',
  'name.placeholder': 'How others will see you',
  'name.missing': 'Type the name others will see.',
  'size.bytes': { one: '{count} byte', other: '{count} bytes' },
  'invite.copy': 'Copy invite link',
  'invite.copied': 'Link copied',
  'media.mic.turnOff': 'Turn off microphone',
  'media.mic.turnOn': 'Turn on microphone',
  'media.camera.turnOff': 'Turn off camera',
  'media.camera.turnOn': 'Turn on camera',
} satisfies Messages;

import type { a11y as en } from '../en/a11y';
import type { TranslationOf } from '../translate';

export const a11y: TranslationOf<typeof en> = {
  'a11y.joined': '{name} a rejoint l’appel',
  'a11y.left': '{name} a quitté l’appel',
  'a11y.incomingVideo': 'Appel vidéo entrant de {name}',
  'a11y.incomingVoice': 'Appel vocal entrant de {name}',
  'a11y.chatMessage': '{name} dit : {text}',
  'a11y.more': { one: 'et {count} autre annonce', other: 'et {count} autres annonces' },
  'notify.ringMe': 'Me faire sonner quand cet onglet est caché',
  'notify.ringMeOn': 'Cet onglet sonne avec une notification du système quand il est caché.',
  'notify.ringMeBlocked':
    'Les notifications sont bloquées pour ce site : autorisez-les dans les paramètres du site du navigateur pour être appelé quand cet onglet est caché.',
  'notify.ringMeUnsupported': 'Ce navigateur ne peut pas afficher de notifications.',
  'notify.body': 'Cliquez pour répondre dans Parley.',
  'notify.tabTitle': 'Appel entrant — {name}',
  'notify.videoTitle': '{name} vous appelle en vidéo',
  'notify.voiceTitle': '{name} vous appelle',
};

import type { common as en } from '../en/common';
import type { TranslationOf } from '../translate';

export const common: TranslationOf<typeof en> = {
  'app.name': 'Parley',
  'language.label': 'Langue',
  'common.dismiss': 'Fermer',
  'common.close': 'Fermer',
  'common.ok': 'OK',
  'common.cancel': 'Annuler',
  'common.startPage': 'Aller à la page d’accueil',
  'common.startPageShort': 'Accueil',
  'common.tryAgain': 'Réessayer',
  'notFound.title': 'Rien ici',
  'notFound.text':
    'Il n’y a pas de page à l’adresse {path}. Les liens de salon ressemblent à /r/ suivi de l’identifiant du salon.',
  'name.label': 'Votre nom',
  'name.placeholder': 'Le nom que les autres verront',
  'name.missing': 'Saisissez le nom que les autres verront.',
  'size.bytes': { one: '{count} octet', other: '{count} octets' },
  'invite.copy': 'Copier le lien d’invitation',
  'invite.copied': 'Lien copié',
  'media.mic.turnOff': 'Couper le micro',
  'media.mic.turnOn': 'Activer le micro',
  'media.camera.turnOff': 'Couper la caméra',
  'media.camera.turnOn': 'Activer la caméra',
};

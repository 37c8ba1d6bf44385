import type { room as en } from '../en/room';
import type { TranslationOf } from '../translate';

export const room: TranslationOf<typeof en> = {
  'roomError.default.title': 'Impossible de rejoindre le salon',
  'roomError.room_full.title': 'Ce salon est complet',
  'roomError.room_full.text':
    'Il compte déjà autant de personnes que ce serveur en permet dans un appel. Réessayez quand quelqu’un part, ou créez un nouveau salon.',
  'roomError.room_locked.title': 'Le salon est verrouillé',
  'roomError.room_locked.text':
    'Son hôte l’a verrouillé : personne de nouveau ne peut entrer. Demandez-lui de le déverrouiller, puis réessayez.',
  'roomError.lobby_denied.title': 'L’hôte ne vous a pas fait entrer',
  'roomError.lobby_denied.text':
    'Vous avez attendu dans la salle d’attente et l’hôte a refusé la demande.',
  'roomError.lobby_full.title': 'La salle d’attente est pleine',
  'roomError.lobby_full.text': 'Trop de personnes attendent d’entrer. Réessayez dans un instant.',
  'roomError.removed.title': 'Vous avez été retiré du salon',
  'roomError.removed.text': 'L’hôte vous a retiré de l’appel.',
  'roomError.room_ended.title': 'L’hôte a mis fin au salon',
  'roomError.room_ended.text': 'L’appel est terminé pour tout le monde.',
  'roomError.unreachable.title': 'Impossible de joindre le serveur Parley',
  'roomError.unreachable.text':
    'Vérifiez votre connexion internet, ou que le serveur fonctionne, puis réessayez.',
  'roomError.busy.title': 'Le serveur est occupé',
  'roomError.busy.text':
    'Il ne peut pas prendre un appel de plus pour l’instant. Patientez un instant et réessayez.',
  'roomError.too_many_connections.title': 'Trop de connexions depuis votre réseau',
  'roomError.too_many_connections.text':
    'Votre réseau a déjà autant de connexions Parley ouvertes que ce serveur en permet depuis un même endroit. Fermez les onglets Parley inutiles, puis réessayez.',
  'roomError.connect_rate_limited.title': 'Connexions trop fréquentes',
  'roomError.connect_rate_limited.text':
    'Votre réseau a ouvert beaucoup de connexions vers ce serveur dans la dernière minute. Patientez une minute, puis réessayez.',
  'roomError.version_mismatch.title': 'Parley a été mis à jour',
  'roomError.version_mismatch.text':
    'Cette page est plus ancienne que le serveur. Rechargez-la pour avoir la nouvelle version.',
  'roomError.bad_message.title': 'Impossible de rejoindre le salon',
  'roomError.bad_message.text':
    'Le serveur a refusé de vous faire entrer. Vérifiez votre nom et le lien du salon.',
  'room.invalid.title': 'Ce lien de salon n’est pas valide',
  'room.invalid.text':
    'Les identifiants de salon n’utilisent que des lettres, des chiffres, - et _. Vérifiez le lien reçu.',
  'room.starting':
    'Démarrage de la caméra et du micro… Si le navigateur le demande, autorisez l’accès.',
  'room.joinWithoutWaiting': 'Rejoindre sans attendre',
  'room.left.title': 'Vous avez quitté le salon',
  'room.left.text': 'Merci d’avoir appelé. Vous pouvez revenir avec le même lien.',
  'room.rejoin': 'Revenir',
  'room.reload': 'Recharger',
  'room.documentTitle': '({count}) Appel Parley',
  'room.people': { one: '{count} personne', other: '{count} personnes' },
  'room.panel.people': 'Participants',
  'room.panel.chat': 'Discussion',
  'room.panel.files': 'Fichiers',
  'room.panel.quality': 'Qualité de la connexion',
  'room.panel.withBadge': '{label} ({count})',
  'room.panel.close': 'Fermer {panel}',
  'room.inviteCopied':
    'Lien d’invitation copié. Envoyez-le aux personnes que vous voulez dans cet appel.',
  'room.copyThisLink': 'Copiez ce lien : {link}',
  'room.joining': 'Entrée dans le salon…',
  'room.lobbyWaiting': 'En attente que l’hôte vous fasse entrer…',
  'room.muteRequest':
    '{name} vous a demandé de couper votre micro : il est coupé. Vous pouvez le réactiver vous-même.',
  'room.muteRequest.host':
    'L’hôte vous a demandé de couper votre micro : il est coupé. Vous pouvez le réactiver vous-même.',
  'room.lobbyKnock.show': 'Voir',
  'room.lobbyKnock.one': '{name} attend pour entrer.',
  'room.lobbyKnock.many': {
    one: '{count} personne attend pour entrer.',
    other: '{count} personnes attendent pour entrer.',
  },
  'room.reconnecting':
    'La connexion au serveur a été coupée. Reconnexion… votre appel continue en attendant.',
  'room.sound.turnOn': 'Activer le son',
  'room.sound.blocked':
    'Votre navigateur a mis le son de cet appel en pause jusqu’à ce que vous cliquiez.',
  'room.alone': 'En attente d’autres participants.',
  'room.connecting': 'Connexion en cours…',
  'room.controls': 'Commandes de l’appel',
  'room.hand.raise': 'Lever la main',
  'room.hand.lower': 'Baisser la main',
  'room.hand.raised': 'Main levée',
  'room.leave': 'Quitter',
  'room.leave.label': 'Quitter l’appel',
  'room.more': 'Plus d’actions',
  'room.you': '{name} (vous)',
  'room.host': 'Hôte',
  'room.micOn': 'Micro activé',
  'room.micOff': 'Micro coupé',
  'room.cameraOn': 'Caméra activée',
  'room.cameraOff': 'Caméra coupée',
  'room.askMute': 'Couper',
  'room.askMute.label': 'Demander à {name} de couper son micro',
  'room.remove': 'Retirer',
  'room.remove.label': 'Retirer {name}',
  'tile.connecting': 'Connexion…',
  'tile.reconnecting': 'Reconnexion…',
  'tile.failed': 'Connexion perdue',
  'tile.paused': 'Vidéo en pause hors de l’écran',
  'tile.pin': 'Épingler (afficher en grand)',
  'tile.unpin': 'Désépingler',
  'tile.pin.label': 'Épingler {name}',
  'tile.unpin.label': 'Désépingler {name}',
  'tile.micOff': 'Micro coupé',
  'tile.yourScreen': 'Votre écran',
  'tile.screenOf': 'Écran de {name}',
  'media.joined.watchOnly':
    'Vous êtes entré sans caméra ni micro : vous pouvez voir et écouter. {problem}',
  'media.joined.micOnly': 'Vous êtes entré avec le micro seulement. {problem}',
  'media.joined.cameraOnly':
    'Vous êtes entré avec la caméra seulement : les autres ne vous entendent pas. {problem}',
  'pairing.heading': 'Vous et {name}',
};

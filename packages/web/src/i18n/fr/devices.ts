import type { devices as en } from '../en/devices';
import type { TranslationOf } from '../translate';

export const devices: TranslationOf<typeof en> = {
  'devices.settings': 'Réglages audio et vidéo',
  'devices.settings.title': 'Audio et vidéo',
  'devices.settings.close': 'Fermer les réglages',
  'devices.kind.audioinput': 'Micro',
  'devices.kind.videoinput': 'Caméra',
  'devices.kind.audiooutput': 'Haut-parleur',
  'devices.none.audioinput': 'Aucun micro trouvé',
  'devices.none.videoinput': 'Aucune caméra trouvée',
  'devices.none.audiooutput': 'Aucun haut-parleur trouvé',
  'devices.numbered.audioinput': 'Micro {n}',
  'devices.numbered.videoinput': 'Caméra {n}',
  'devices.numbered.audiooutput': 'Haut-parleur {n}',
  'devices.default': 'Par défaut',
  'devices.noise': 'Réduction du bruit',
  'devices.noise.hint':
    '{state} : supprime ventilateurs, frappe au clavier et bruits de rue de votre micro.',
  'devices.noise.off': 'Désactivée',
  'devices.noise.on': 'Activée',
  'devices.noise.starting': 'Démarrage…',
  'devices.noise.failed': 'Impossible de la démarrer dans ce navigateur',
  'devices.micTest': 'Tester votre micro',
  'devices.micTest.recording': 'Enregistrement…',
  'devices.micTest.playing': 'Lecture…',
  'devices.micTest.say': 'Dites quelque chose : vous l’entendrez dans {seconds} secondes.',
  'devices.micTest.unsupported': 'Ce navigateur ne peut pas enregistrer de test.',
  'devices.micLevel': 'Niveau du micro',
  'devices.useIt': 'L’utiliser',
  'devices.lost.audioinput': 'Votre micro a été débranché.',
  'devices.lost.videoinput': 'Votre caméra a été débranchée.',
  'devices.lost.audiooutput': 'Votre haut-parleur a été débranché.',
  'devices.switched.audioinput': 'Votre micro a été débranché ; {label} est utilisé maintenant.',
  'devices.switched.videoinput': 'Votre caméra a été débranchée ; {label} est utilisée maintenant.',
  'devices.switched.audiooutput':
    'Votre haut-parleur a été débranché ; {label} est utilisé maintenant.',
  'devices.another.audioinput': 'un autre micro',
  'devices.another.videoinput': 'une autre caméra',
  'devices.another.audiooutput': 'un autre haut-parleur',
  'devices.added.audioinput': 'Un nouveau micro est disponible : {label}.',
  'devices.added.videoinput': 'Une nouvelle caméra est disponible : {label}.',
  'devices.added.audiooutput': 'Un nouveau haut-parleur est disponible : {label}.',
  'mediaProblem.denied.audio':
    'Votre navigateur a bloqué le micro. Autorisez-le pour ce site (l’icône dans la barre d’adresse), puis réactivez-le.',
  'mediaProblem.denied.video':
    'Votre navigateur a bloqué la caméra. Autorisez-la pour ce site (l’icône dans la barre d’adresse), puis réactivez-la.',
  'mediaProblem.missing.audio': 'Aucun micro trouvé. Branchez-en un, puis réactivez-le.',
  'mediaProblem.missing.video': 'Aucune caméra trouvée. Branchez-en une, puis réactivez-la.',
  'mediaProblem.busy.audio':
    'Votre micro est utilisé par une autre application ou n’a pas pu démarrer. Fermez l’autre application, puis réactivez-le.',
  'mediaProblem.busy.video':
    'Votre caméra est utilisée par une autre application ou n’a pas pu démarrer. Fermez l’autre application, puis réactivez-la.',
  'mediaProblem.insecure.audio':
    'Le micro demande une connexion sécurisée. Ouvrez Parley en https (ou sur localhost).',
  'mediaProblem.insecure.video':
    'La caméra demande une connexion sécurisée. Ouvrez Parley en https (ou sur localhost).',
  'mediaProblem.failed.audio': 'Le micro n’a pas pu démarrer. Essayez de le réactiver.',
  'mediaProblem.failed.video': 'La caméra n’a pas pu démarrer. Essayez de la réactiver.',
};

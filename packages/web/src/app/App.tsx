import { AuthPage } from '../features/auth/AuthPage';
import { BoardPage } from '../features/board/BoardPage';
import { MeetPage } from '../features/meet/MeetPage';
import { ContactsPage } from '../features/contacts/ContactsPage';
import { LandingPage } from '../features/landing/LandingPage';
import { RoomRoute } from '../features/room/RoomRoute';
import { MessagePage } from '../ui/MessagePage';
import { navigate } from './router';
import { useRoute } from './use-route';
import { useT } from '../i18n/i18n';

/** Top level: one page per route. */
export function App() {
  const route = useRoute();
  const { t } = useT();
  switch (route.page) {
    case 'landing':
      return <LandingPage />;
    case 'room':
      // Keyed by room so that following a link to another room starts clean.
      return <RoomRoute key={route.roomId} roomId={route.roomId} params={route.params} />;
    case 'signin':
    case 'signup':
      return <AuthPage key={route.page} mode={route.page} />;
    case 'contacts':
      return <ContactsPage />;
    case 'meet':
      return <MeetPage />;
    case 'board':
      return <BoardPage />;
    case 'not-found':
      return (
        <MessagePage
          title={t('notFound.title')}
          actions={
            <button className="btn btn--primary" onClick={() => navigate('/')}>
              {t('common.startPage')}
            </button>
          }
        >
          {t('notFound.text', { path: route.path })}
        </MessagePage>
      );
  }
}

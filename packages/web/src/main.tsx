// Starts camera and socket for direct-join links before anything else evaluates.
import './app/early-start';
// The theme comes first so that feature styles, loaded with their components, win over it.
import './app/theme.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startEarlyJoin } from './features/room/early-join';

// Before the first render: a direct link's hello and join go out while React renders.
startEarlyJoin();

createRoot(document.getElementById('root') as HTMLElement).render(<App />);

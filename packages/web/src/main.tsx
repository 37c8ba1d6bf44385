// Starts camera and socket for direct-join links before anything else evaluates.
import './app/early-start';
// The theme comes first so that feature styles, loaded with their components, win over it.
import './app/theme.css';
import { earlyJoinSettled, startEarlyJoin } from './features/room/early-join';

// A direct link's hello and join go out now.
startEarlyJoin();

// The app (React DOM and every page) is a chunk of its own, which index.html preloads, so
// it downloads alongside the join. It runs and renders at once on any other page; on a
// direct link from a near server, once the first offers are answered (early-join.ts says
// why, and for how long at most). With the app in the entry chunk, the join waited for
// ~430 KB of JavaScript to evaluate (docs/BENCHMARKS.md).
const app = earlyJoinSettled().then(() =>
  Promise.all([
    import('react-dom/client'),
    import('react'),
    import('./app/App'),
    import('./features/a11y/LiveRegion'),
  ]),
);
void app.then(([{ createRoot }, { startTransition }, { App }, { LiveRegion }]) => {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  // A transition renders in slices that yield to the page's other tasks, so the first
  // render of the call view (100 ms and more in one piece on a busy machine) does not
  // hold back the direct link's welcome, joined, offer and answer (docs/BENCHMARKS.md).
  startTransition(() => {
    // The live region outlives page changes: announcements survive navigation.
    root.render(
      <>
        <App />
        <LiveRegion />
      </>,
    );
  });
});

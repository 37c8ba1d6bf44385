// A vitest worker that dies (a segfault in a native module) fails the run without failing
// a test: the file it was running is left with tests that never finished. The native code
// loaded by our tests is @roamhq/wrtc (the SDK's stand-in browser, a known source of
// crashes on close: WonderInventions/node-webrtc#35) and better-sqlite3; neither runs in
// a user's browser. So such a run is repeated for the crashed files only, once, and says
// so loudly. A test that failed is never repeated, and a second crash fails the step.
import { readFileSync, writeFileSync } from 'node:fs';

export const CRASH_MARK = 'Worker exited unexpectedly';

/** Files of a vitest JSON report with tests that never finished, and those tests. */
export function unfinished(report) {
  return report.testResults
    .map((f) => ({
      file: f.name,
      tests: f.assertionResults.filter((a) => a.status === 'pending').map((a) => a.fullName),
    }))
    .filter((f) => f.tests.length > 0);
}

/** Whether a failed run is only a worker crash: no test failed, and some never finished. */
export function onlyCrashed(output, report) {
  return (
    output.includes(CRASH_MARK) && report.numFailedTests === 0 && unfinished(report).length > 0
  );
}

/** Put the rerun's results in place of the crashed files' in `path`, and recount. */
export function mergeRerun(path, rerun) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const again = new Map(rerun.testResults.map((f) => [f.name, f]));
  report.testResults = report.testResults.map((f) => again.get(f.name) ?? f);
  const all = report.testResults.flatMap((f) => f.assertionResults);
  const count = (status) => all.filter((a) => a.status === status).length;
  report.numTotalTests = all.length;
  report.numPassedTests = count('passed');
  report.numFailedTests = count('failed');
  report.numPendingTests = count('pending') + count('skipped');
  report.numTodoTests = count('todo');
  report.success = rerun.success && report.numFailedTests === 0;
  report.rerunAfterCrash = rerun.testResults.map((f) => f.name);
  writeFileSync(path, JSON.stringify(report));
  return report;
}

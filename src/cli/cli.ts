import { main } from './main';

// The bundle's entry: run, print, and exit with the code main decided. Ctrl-C cancels a long command (training) so
// it can clean up (a cancelled run leaves no folder); a second Ctrl-C exits at once.
const interrupted = new AbortController();
process.once('SIGINT', () => {
  interrupted.abort();
  process.once('SIGINT', () => process.exit(130));
});
void main(
  process.argv.slice(2),
  (text) => process.stdout.write(text + '\n'),
  (text) => process.stderr.write(text + '\n'),
  interrupted.signal,
).then((code) => {
  process.exitCode = code;
});

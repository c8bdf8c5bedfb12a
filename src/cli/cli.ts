import { main } from './main';

// The bundle's entry: run, print, and exit with the code main decided.
void main(
  process.argv.slice(2),
  (text) => process.stdout.write(text + '\n'),
  (text) => process.stderr.write(text + '\n'),
).then((code) => {
  process.exitCode = code;
});

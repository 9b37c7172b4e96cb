// The command line of the interop scripts: `--name value` for each required name, nothing
// else (Node's own `util.parseArgs`, strict).
import { parseArgs } from 'node:util';

export function requiredArgs(names) {
  const options = Object.fromEntries(names.map((name) => [name, { type: 'string' }]));
  const { values } = parseArgs({ options, strict: true, allowPositionals: false });
  for (const name of names) {
    if (values[name] === undefined) throw new Error(`--${name} is required`);
  }
  return values;
}

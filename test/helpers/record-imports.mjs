// `node --import ./test/helpers/record-imports.mjs ...`: appends every module URL the ESM loader
// resolves to the file in RECORD_IMPORTS_FILE (the hooks run in their own thread; a file is the
// one channel that survives the process ending).
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_IMPORTS_FILE } });

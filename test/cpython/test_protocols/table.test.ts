// docs/cpython-tests/test_protocols.md against this folder (test/cpython/_table.ts).

import { describePortTable } from '../_table.js';

describePortTable('test_protocols', import.meta.dirname);

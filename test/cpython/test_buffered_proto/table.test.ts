// docs/cpython-tests/test_buffered_proto.md against this folder (test/cpython/_table.ts).

import { describePortTable } from '../_table.js';

describePortTable('test_buffered_proto', import.meta.dirname);

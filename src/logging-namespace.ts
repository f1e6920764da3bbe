// The names of the `logging` namespace exported from the package root (an aggregate of
// src/log and the thread-based handlers of src/executor, as Python's logging.handlers).

import * as handlers from './executor/logging-handlers.js';

export {
  CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING, LogRecord, Logger, StreamHandler, basicConfig, getLevelName, getLogger,
  lastResort, type Handler,
} from './log/logging.js';
export { handlers };

// The names of the `logging` namespace exported from the package root.

export {
  CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING, LogRecord, Logger, StreamHandler, basicConfig, getLevelName, getLogger,
  lastResort, type Handler,
} from './logging.js';

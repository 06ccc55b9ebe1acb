// Loaded before every test file (see .mocharc.json): quiet logs, test mode.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';

// Loaded before every test file (see .mocharc.json): quiet logs, test mode.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
// Test accounts are hashed at scrypt cost 2^10 instead of 2^15 (see scryptCost): the suite hashes thousands.
process.env.PASSWORD_SCRYPT_COST ??= '10';

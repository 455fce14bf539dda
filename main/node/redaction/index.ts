// The redaction entry point: log writers, error messages, exports and diagnostics all use these.
export { REDACTED, isSecretKey, redact, redactText, redactedMessage } from './redact'

// The redaction entry point: log writers, error messages, exports and diagnostics all use these.
export {
  REDACTED,
  answerSnippet,
  isSecretKey,
  redact,
  redactKnownValues,
  redactText,
  redactedMessage,
} from './redact'
export { forgetKnownSecrets, rememberSecrets } from './known-secrets'

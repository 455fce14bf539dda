import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../../main/core/errors'
import { connectionFailure } from '../../../../main/node/channels/kit/connection-test'

describe('connectionFailure', () => {
  it('answers a classified error with its message and hint', () => {
    const e = new ClassifiedError('needs_seller', 'x.denied', 'The key was refused', {
      hint: 'Create a new key',
    })
    expect(connectionFailure(e)).toEqual({ ok: false, message: 'The key was refused. Create a new key' })
  })

  it('answers a classified error without a hint with its message alone', () => {
    const e = new ClassifiedError('retryable', 'x.down', 'The shop did not answer')
    expect(connectionFailure(e)).toEqual({ ok: false, message: 'The shop did not answer' })
  })

  it('throws anything else on unchanged', () => {
    const bug = new TypeError('undefined is not a function')
    expect(() => connectionFailure(bug)).toThrow(bug)
    let caught: unknown
    try {
      connectionFailure('plain')
    } catch (e) {
      caught = e
    }
    expect(caught).toBe('plain')
  })
})

// Python's argument binding as the simulated Odoo applies it: CPython's TypeError texts (XML-RPC path)
// and inspect.Signature.bind's (JSON-2 path). Every expected text was produced by CPython 3.11 on the
// same calls.
import { describe, expect, it } from 'vitest'
import { cpythonBind, inspectBind, parseSignature } from '../../../main/sandbox/odoo/py-call'

const F = parseSignature('C.f(self, a, b=1, *, c, d=2)')
const G = parseSignature('C.g(self, a, *args, **kw)')
const H = parseSignature('C.h(self)')
const K = parseSignature('C.k(self, a, b, c, d)')

const cpy = (sig: typeof F, pos: unknown[], kw: Record<string, unknown> = {}) => () =>
  cpythonBind(sig, pos, Object.entries(kw))

describe('CPython binding', () => {
  it.each([
    [F, [], {}, "C.f() missing 1 required positional argument: 'a'"],
    [F, [1], {}, "C.f() missing 1 required keyword-only argument: 'c'"],
    [F, [1, 2, 3], {}, 'C.f() takes from 2 to 3 positional arguments but 4 were given'],
    [
      F,
      [1, 2, 3],
      { c: 1 },
      'C.f() takes from 2 to 3 positional arguments but 4 positional arguments (and 1 keyword-only argument) were given',
    ],
    [
      F,
      [1, 2, 3, 4],
      { c: 1, d: 2 },
      'C.f() takes from 2 to 3 positional arguments but 5 positional arguments (and 2 keyword-only arguments) were given',
    ],
    [F, [1], { a: 2, c: 1 }, "C.f() got multiple values for argument 'a'"],
    [F, [1], { c: 1, z: 2 }, "C.f() got an unexpected keyword argument 'z'"],
    [G, [], {}, "C.g() missing 1 required positional argument: 'a'"],
    [H, [1, 2], {}, 'C.h() takes 1 positional argument but 3 were given'],
    [H, [], { x: 1 }, "C.h() got an unexpected keyword argument 'x'"],
    [K, [], {}, "C.k() missing 4 required positional arguments: 'a', 'b', 'c', and 'd'"],
    [K, [1], {}, "C.k() missing 3 required positional arguments: 'b', 'c', and 'd'"],
    [K, [1, 2], {}, "C.k() missing 2 required positional arguments: 'c' and 'd'"],
  ])('%#: %s', (sig, pos, kw, message) => {
    expect(cpy(sig, pos, kw)).toThrow(message)
  })

  it('binds positionals, keywords, *args and **kwargs by name', () => {
    expect(cpythonBind(G, [1, 2, 3], [['x', 4]]).values).toEqual({ a: 1, args: [2, 3], kw: { x: 4 } })
    expect(cpythonBind(F, [1], [['c', 3]]).values).toEqual({ a: 1, c: 3 })
  })
})

describe('inspect.Signature.bind', () => {
  it.each([
    [{}, "missing a required argument: 'a'"],
    [{ a: 1 }, "missing a required argument: 'c'"],
    [{ a: 1, c: 1, z: 1 }, "got an unexpected keyword argument 'z'"],
    // Missing arguments are reported before unexpected ones.
    [{ z: 1 }, "missing a required argument: 'a'"],
  ])('%j', (kw, message) => {
    expect(() => inspectBind(F, kw)).toThrow(message)
  })

  it('keeps **kwargs for the call itself', () => {
    expect(inspectBind(G, { a: 1, x: 2 }).values).toEqual({ a: 1, args: [], kw: { x: 2 } })
  })
})

// Renders XML-RPC responses the way Odoo's marshaller does: faults with Odoo's codes, `<i8>` for integers
// beyond 32 bits, and no `<nil/>`: a None anywhere in a result is the "cannot marshal None" fault.
import { NONE_MARSHAL_FAULT } from './sim-errors'

class NoneInResult extends Error {}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function value(v: unknown): string {
  if (v === undefined || v === null) throw new NoneInResult(NONE_MARSHAL_FAULT)
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`
  if (typeof v === 'number') {
    if (Number.isInteger(v))
      return v >= -(2 ** 31) && v < 2 ** 31
        ? `<value><int>${v}</int></value>`
        : `<value><i8>${v}</i8></value>`
    return `<value><double>${v}</double></value>`
  }
  if (typeof v === 'string') return `<value><string>${esc(v)}</string></value>`
  if (Array.isArray(v)) return `<value><array><data>${v.map(value).join('')}</data></array></value>`
  if (typeof v === 'object') {
    const members = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `<member><name>${esc(k)}</name>${value(x)}</member>`)
      .join('')
    return `<value><struct>${members}</struct></value>`
  }
  throw new Error(`cannot marshal ${typeof v} objects`)
}

const HEAD = "<?xml version='1.0'?>\n"

export function xmlFault(code: number, message: string): string {
  return `${HEAD}<methodResponse><fault>${value({ faultCode: code, faultString: message })}</fault></methodResponse>`
}

/** A methodResponse, or the fault real Odoo sends when the result holds a None. */
export function xmlResponse(result: unknown): string {
  try {
    return `${HEAD}<methodResponse><params><param>${value(result)}</param></params></methodResponse>`
  } catch (e) {
    if (e instanceof NoneInResult)
      return xmlFault(
        1,
        `Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 166, in xmlrpc_2\n    response = self._xmlrpc(service)\nTypeError: ${NONE_MARSHAL_FAULT}\n`,
      )
    throw e
  }
}

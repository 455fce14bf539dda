// XML-RPC encoding with the `xmlrpc` package's serializer and SAX deserializer, adjusted for Odoo:
// `<i8>` becomes a number (the package leaves it a string), `<dateTime.iso8601>` is read as naive UTC
// (the package would apply the machine's time zone), and faults come back as values, not thrown errors.
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'

interface XmlRpcSerializer {
  serializeMethodCall(method: string, params: unknown[]): string
}

interface XmlRpcDeserializerInstance {
  push(v: unknown): void
  value: boolean
  endI8(data: string): void
  endDateTime(data: string): void
  deserializeMethodResponse(stream: Readable, cb: (err: unknown, value?: unknown) => void): void
  deserializeMethodCall(
    stream: Readable,
    cb: (err: unknown, method?: string, params?: unknown[]) => void,
  ): void
}

type XmlRpcDeserializerCtor = new (encoding?: string) => XmlRpcDeserializerInstance

const require = createRequire(import.meta.url)
const serializer = require('xmlrpc/lib/serializer.js') as XmlRpcSerializer
const Deserializer = require('xmlrpc/lib/deserializer.js') as XmlRpcDeserializerCtor

export interface XmlRpcFault {
  faultCode: unknown
  faultString: string
}

export type XmlRpcResponse = { ok: true; value: unknown } | { ok: false; fault: XmlRpcFault }

export const encodeMethodCall = (method: string, params: unknown[]): string =>
  serializer.serializeMethodCall(method, params)

const ISO = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})/

function odooDeserializer(): XmlRpcDeserializerInstance {
  const d = new Deserializer('utf8')
  d.endI8 = function (this: XmlRpcDeserializerInstance, data: string) {
    const n = Number(data)
    if (!/^-?\d+$/.test(data.trim()) || !Number.isSafeInteger(n))
      throw new Error(`Expected a 64-bit integer (i8) that fits a safe integer, got '${data}'`)
    this.push(n)
    this.value = false
  }
  d.endDateTime = function (this: XmlRpcDeserializerInstance, data: string) {
    const m = ISO.exec(data.trim())
    if (!m) throw new Error(`Expected an ISO 8601 datetime, got '${data}'`)
    this.push(`${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`)
    this.value = false
  }
  return d
}

/** Parses a methodResponse; rejects with a plain Error when the body is not XML-RPC at all. */
export function decodeMethodResponse(xml: string): Promise<XmlRpcResponse> {
  return new Promise((resolve, reject) => {
    odooDeserializer().deserializeMethodResponse(Readable.from([xml]), (err, value) => {
      if (err === null || err === undefined) return resolve({ ok: true, value })
      const e = err as { faultCode?: unknown; faultString?: unknown; message?: string }
      if (e.faultCode !== undefined || e.faultString !== undefined)
        return resolve({
          ok: false,
          fault: { faultCode: e.faultCode, faultString: String(e.faultString ?? '') },
        })
      reject(new Error(e.message ?? String(err)))
    })
  })
}

/** Parses a methodCall (used by the simulator). */
export function decodeMethodCall(xml: string): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    odooDeserializer().deserializeMethodCall(Readable.from([xml]), (err, method, params) => {
      if (err !== null && err !== undefined)
        return reject(err instanceof Error ? err : new Error(String(err)))
      resolve({ method: method ?? '', params: params ?? [] })
    })
  })
}

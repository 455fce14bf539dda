// How Odoo renders an exception of an external call: the traceback as XML-RPC's faultString carries it
// (paths as the Debian package installs Odoo) and the class path JSON-2's serialize_exception reports.
import type { PyFrame } from '../py-call'

/** Where the Debian package installs Odoo; the traceback paths start here. */
const ODOO_ROOT = '/usr/lib/python3/dist-packages/odoo'

const framePath = (file: string): string =>
  file.startsWith('odoo/') ? `${ODOO_ROOT}/${file.slice(5)}` : `${ODOO_ROOT}/${file}`

/** `traceback.format_exception` of the exception (without the caret lines of Python 3.11+). */
export function formatTraceback(pyClass: string, message: string, frames: readonly PyFrame[]): string {
  const lines = ['Traceback (most recent call last):']
  for (const fr of frames)
    lines.push(`  File "${framePath(fr.file)}", line ${fr.line}, in ${fr.func}`, `    ${fr.code}`)
  lines.push(message ? `${pyClass}: ${message}` : pyClass)
  return `${lines.join('\n')}\n`
}

/** The module-qualified class name JSON-2's serialize_exception reports. */
export function pythonClassPath(pyClass: string): string {
  if (['NotFound', 'UnprocessableEntity', 'BadRequest'].includes(pyClass))
    return `werkzeug.exceptions.${pyClass}`
  if (
    [
      'AccessError',
      'AccessDenied',
      'UserError',
      'ValidationError',
      'MissingError',
      'RedirectWarning',
    ].includes(pyClass)
  )
    return `odoo.exceptions.${pyClass}`
  return `builtins.${pyClass}`
}

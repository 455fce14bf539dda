// Turns what an Odoo server (or whatever answers at its address) says into errors a seller can act on.
import { answerSnippet } from '../redaction'
import { ClassifiedError, isClassifiedError } from '../../core/errors'
import { retryAfterMs, type HttpResponse } from '../http/http-client'
import { isOdooOnlineHost } from './odoo-connection'

export const ONLINE_PLAN_HINT =
  'On Odoo Online the external API is only available on the Custom plan: upgrade the subscription, or ask your Odoo partner.'

export const API_KEY_HINT =
  'In Odoo open your user menu, Preferences, Account Security, New API Key, and paste the new key here.'

export function accessDenied(host: string, login: string, database: string, why = ''): ClassifiedError {
  const online = isOdooOnlineHost(host)
  return new ClassifiedError(
    'needs_seller',
    'odoo.access_denied',
    `Odoo at ${host} refused the login of "${login}" on database "${database}": the user or the API key is wrong${why}`,
    { hint: online ? `${API_KEY_HINT} ${ONLINE_PLAN_HINT}` : API_KEY_HINT },
  )
}

export function accessError(host: string, what: string, detail: string): ClassifiedError {
  const online = isOdooOnlineHost(host)
  return new ClassifiedError(
    'needs_seller',
    'odoo.access_error',
    `Odoo at ${host} did not allow ${what}: ${detail}`,
    {
      hint: online
        ? ONLINE_PLAN_HINT
        : 'Give the Odoo user LastUnit logs in with the Inventory and Sales administrator rights.',
    },
  )
}

export function wrongDatabase(host: string, database: string): ClassifiedError {
  return new ClassifiedError(
    'needs_seller',
    'odoo.wrong_database',
    `Odoo at ${host} has no database named "${database}"`,
    {
      hint: 'Check the database name: it is shown in Odoo under Settings, Activate developer mode (top right), or in the database selector at /web/database/selector.',
    },
  )
}

export function notOdoo(host: string, detail: string): ClassifiedError {
  return new ClassifiedError(
    'needs_seller',
    'odoo.not_odoo',
    `No Odoo server answered at ${host} (${detail})`,
    {
      hint: 'Check the Odoo address: it is the one you open Odoo with in the browser, e.g. https://mycompany.odoo.com',
    },
  )
}

export const looksHtml = (text: string) => /^\s*(<!doctype|<html|<head|<body|<title|<h1)/i.test(text)

/** Classifies an HTTP answer that is not a usable RPC answer. */
export function classifyHttp(host: string, res: HttpResponse, what: string): ClassifiedError {
  const s = res.status
  if (s >= 300 && s < 400) {
    const loc = res.headers.get('location') ?? ''
    if (/\/web\/login/.test(loc))
      return new ClassifiedError(
        'needs_seller',
        'odoo.login_redirect',
        `Odoo at ${host} redirected ${what} to its login page (${loc}) instead of answering the API`,
        {
          hint: 'The address may point to a page behind a login or a proxy, or this Odoo version does not offer this API: use the base address of your Odoo and let LastUnit pick the protocol.',
        },
      )
    return new ClassifiedError(
      'needs_seller',
      'odoo.redirect',
      `Odoo at ${host} redirected ${what} to ${loc || 'another address'} (HTTP ${s})`,
      {
        hint: `Use the address the server redirects to${loc ? ` (${new URL(loc, `https://${host}`).origin})` : ''}.`,
      },
    )
  }
  if (s === 429)
    return new ClassifiedError(
      'retryable',
      'odoo.throttled',
      `Odoo at ${host} asked LastUnit to slow down (HTTP 429) while ${what}`,
      {
        hint: 'LastUnit retries automatically once the wait Odoo asked for has passed.',
        ...(retryAfterMs(res.headers) === undefined ? {} : { retryAfterMs: retryAfterMs(res.headers)! }),
      },
    )
  if (s === 502 || s === 503 || s === 504)
    return new ClassifiedError(
      'retryable',
      'odoo.unavailable',
      `Odoo at ${host} is not available right now (HTTP ${s}${looksHtml(res.text) ? ', an error page from a proxy' : ''}) while ${what}`,
      { hint: 'The server or its proxy is down or restarting; LastUnit retries automatically.' },
    )
  if (s >= 500)
    return new ClassifiedError(
      'retryable',
      'odoo.server_error',
      `Odoo at ${host} failed (HTTP ${s}) while ${what}`,
    )
  if (s === 404) return notOdoo(host, `HTTP 404 while ${what}`)
  return new ClassifiedError(
    'permanent',
    'odoo.rejected',
    `Odoo at ${host} rejected ${what} (HTTP ${s})${looksHtml(res.text) ? '' : `: ${answerSnippet(res.text, 200)}`}`,
  )
}

/** Network-level failures of the shared HTTP client, reworded for Odoo. */
export function classifyNetwork(host: string, e: unknown, what: string, timeoutMs: number): ClassifiedError {
  if (!isClassifiedError(e))
    return new ClassifiedError('retryable', 'odoo.network', `Odoo at ${host}: network error while ${what}`, {
      cause: e,
    })
  switch (e.code) {
    case 'http.timeout':
      return new ClassifiedError(
        'retryable',
        'odoo.timeout',
        `Odoo at ${host} did not answer ${what} within ${timeoutMs} ms`,
        {
          hint: 'The server may be overloaded; LastUnit retries automatically. Raise the timeout if this keeps happening.',
          cause: e,
        },
      )
    case 'http.dns':
      return new ClassifiedError(
        'needs_seller',
        'odoo.host_not_found',
        `The Odoo host ${host} was not found`,
        {
          hint: 'Check the Odoo address in the connection settings.',
          cause: e,
        },
      )
    case 'http.refused':
      return new ClassifiedError(
        'retryable',
        'odoo.unreachable',
        `Odoo at ${host} refused the connection while ${what}: the server looks down`,
        {
          hint: 'Is the Odoo server running and the address (and port) right? LastUnit retries automatically.',
          cause: e,
        },
      )
    default:
      if (
        e.code === 'http.connection_lost' ||
        /ECONNRESET|UND_ERR_SOCKET|other side closed|socket hang up/i.test(e.message)
      )
        return new ClassifiedError(
          'retryable',
          'odoo.connection_lost',
          `The connection to Odoo at ${host} was cut while ${what}`,
          {
            hint: 'The server may be restarting; LastUnit retries automatically.',
            cause: e,
          },
        )
      return new ClassifiedError('retryable', 'odoo.network', `Odoo at ${host}: ${e.message} while ${what}`, {
        cause: e,
      })
  }
}

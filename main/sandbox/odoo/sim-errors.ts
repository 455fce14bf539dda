// The exceptions the simulated Odoo raises; each transport renders them the way real Odoo does
// (XML-RPC faults, JSON-2 status codes and error bodies).
export type OdooSimErrorName =
  | 'AccessDenied'
  | 'AccessError'
  | 'UserError'
  | 'ValidationError'
  | 'MissingError'
  | 'ValueError'
  | 'NotFound'
  | 'TypeError'
  | 'DatabaseMissing'

export class OdooSimError extends Error {
  constructor(
    readonly odooName: OdooSimErrorName,
    message: string,
  ) {
    super(message)
    this.name = 'OdooSimError'
  }
}

/** XML-RPC cannot marshal None: real Odoo answers this fault AFTER committing the method's changes. */
export const NONE_MARSHAL_FAULT = 'cannot marshal None unless allow_none is enabled'

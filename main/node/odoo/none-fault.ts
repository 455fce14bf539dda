// Odoo's XML-RPC marshaller cannot send None: a method returning None commits, then answers this fault.
export const NONE_FAULT_TEXT = 'cannot marshal None unless allow_none is enabled'

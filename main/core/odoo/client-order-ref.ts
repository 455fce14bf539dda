// The marketplace order id travels into Odoo as client_order_ref; it is the idempotency key that keeps a
// retried import from creating a second sale order.
export const clientOrderRefFor = (channel: string, orderId: string): string => `${channel}:${orderId}`

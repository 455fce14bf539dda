// Schema 9: one oversell alert kind. The order import raised its own 'order_oversell' beside the engine's
// 'oversell'; both now are 'oversell' (main/node/orders/oversell.ts). An old row becomes an 'oversell'
// row; where the product has both, the open one (else the newer) is kept. The engine judges each product
// again at its next stock read or order, and clears what no longer holds.
export const SCHEMA_V9_ONE_OVERSELL = /* sql */ `
UPDATE alerts SET kind = 'oversell', severity = o.severity, channel_id = o.channel_id, message = o.message,
    details = o.details, raised_at = o.raised_at, cleared_at = o.cleared_at
  FROM (SELECT subject, severity, channel_id, message, details, raised_at, cleared_at
        FROM alerts WHERE kind = 'order_oversell') AS o
  WHERE alerts.kind = 'oversell' AND alerts.subject = o.subject
    AND ((o.cleared_at IS NULL AND alerts.cleared_at IS NOT NULL)
      OR ((o.cleared_at IS NULL) = (alerts.cleared_at IS NULL) AND o.raised_at > alerts.raised_at));
DELETE FROM alerts WHERE kind = 'order_oversell'
  AND subject IN (SELECT subject FROM alerts WHERE kind = 'oversell');
UPDATE alerts SET kind = 'oversell' WHERE kind = 'order_oversell';
`

// "Faster orders" for Amazon and bol.com (docs/faster-orders.md): what to create in AWS, with the policies
// filled in with the seller's queue ARN (read from the URL they type), the queue URL and access key (write-only,
// like every credential), and Check: each step in plain words, with the reason when it fails. "Check and save"
// stores the values only when every check passed.
import { useId, useState } from 'react'
import { CHANNEL_LABELS } from '../../../../shared/channel-types'
import type { ChannelSummaryDto } from '../../../../shared/dto'
import type { FasterOrdersCheckDto } from '../../../../shared/faster-orders'
import { parseQueueUrl } from '../../../../shared/queue-url'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText } from '../../stores/app-store'
import { Field, SecretField } from './fields'

const t = strings.fasterOrders

/** The IAM user's policy: receive, delete, change visibility, read attributes on this one queue (docs/faster-orders.md). */
export const userPolicy = (arn: string): string =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
            'sqs:ChangeMessageVisibility',
          ],
          Resource: arn,
        },
      ],
    },
    null,
    2,
  )

/** The queue's access policy for the marketplace's sender. */
export const queuePolicy = (type: 'amazon' | 'bol', arn: string, roleArn: string): string =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        type === 'amazon'
          ? {
              Sid: 'AmazonSellingPartnerApiNotifications',
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::437568002678:root' },
              Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
              Resource: arn,
            }
          : {
              Sid: 'BolComOrderEvents',
              Effect: 'Allow',
              Principal: { AWS: roleArn || 'arn:aws:iam::ACCOUNT:role/bol-orders' },
              Action: 'sqs:SendMessage',
              Resource: arn,
            },
      ],
    },
    null,
    2,
  )

const PLACEHOLDER_ARN = 'arn:aws:sqs:REGION:ACCOUNT:QUEUE'

function Policy({ id, label, json }: { id: string; label: string; json: string }) {
  // The policy copied last: a policy that changed since (another URL typed) is not "Copied".
  const [copied, setCopied] = useState<string | null>(null)
  return (
    <div className="policy">
      <p id={`${id}-label`}>{label}</p>
      <pre tabIndex={0} aria-labelledby={`${id}-label`} data-testid={id}>
        {json}
      </pre>
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard?.writeText(json).then(
            () => setCopied(json),
            () => undefined,
          )
        }
      >
        {copied === json ? t.copied : t.copy}
      </button>
    </div>
  )
}

export function FasterOrders({ channel, onSaved }: { channel: ChannelSummaryDto; onSaved: () => void }) {
  const id = useId()
  const type = channel.type === 'bol' ? 'bol' : 'amazon'
  const label = CHANNEL_LABELS[channel.type]
  const stored = new Set((channel.queueCredentials ?? []).filter((c) => c.set).map((c) => c.name))
  const [url, setUrl] = useState('')
  const [keyId, setKeyId] = useState('')
  const [secret, setSecret] = useState('')
  const initialRole = typeof channel.settings.queueRoleArn === 'string' ? channel.settings.queueRoleArn : ''
  const [role, setRole] = useState(initialRole)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<FasterOrdersCheckDto | null>(null)
  const [error, setError] = useState<string | null>(null)

  const localRegion =
    typeof channel.settings.queueRegion === 'string' ? channel.settings.queueRegion : undefined
  const parsed = url.trim() ? parseQueueUrl(url, localRegion) : null
  const arn = parsed?.ok ? parsed.queue.arn : (result?.queueArn ?? null)
  const urlError = parsed && !parsed.ok ? `${t.queueUrl}: ${parsed.problem}` : undefined
  const fid = (k: string) => `${id}-${k}`

  const check = async (save: boolean) => {
    setBusy(true)
    setError(null)
    try {
      const r = await call('checkFasterOrders', {
        channelId: channel.id,
        credentials: { queueUrl: url.trim(), queueAccessKeyId: keyId, queueSecretAccessKey: secret },
        ...(type === 'bol' && role.trim() !== initialRole ? { queueRoleArn: role.trim() } : {}),
        save,
      })
      setResult(r)
      if (r.saved) {
        setUrl('')
        setKeyId('')
        setSecret('')
        onSaved()
      }
    } catch (e) {
      setResult(null)
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  const allSet = ['queueUrl', 'queueAccessKeyId', 'queueSecretAccessKey'].every((n) => stored.has(n))
  return (
    <section
      className="faster-orders"
      aria-labelledby={fid('title')}
      data-testid={`faster-orders-${channel.id}`}
    >
      <h3 id={fid('title')}>{t.title}</h3>
      <p className="muted">{t.intro(label)}</p>
      <p className={allSet ? 'ok-text' : 'muted'} data-testid="faster-orders-status">
        {t.status(allSet)}
      </p>
      <h4>{t.awsTitle}</h4>
      <ol className="aws-steps">
        <li>{t.awsQueue}</li>
        <li>
          <Policy id={fid('user-policy')} label={t.awsUser} json={userPolicy(arn ?? PLACEHOLDER_ARN)} />
        </li>
        <li>
          <Policy
            id={fid('queue-policy')}
            label={t.awsQueuePolicy[type]!}
            json={queuePolicy(type, arn ?? PLACEHOLDER_ARN, role.trim())}
          />
        </li>
      </ol>
      <p className="muted" data-testid="faster-orders-arn">
        {arn ? t.arnHint(arn) : t.arnMissing}
      </p>
      <form
        className="form-grid"
        aria-label={`${t.title}: ${channel.name}`}
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void check(true)
        }}
      >
        <Field id={fid('queueUrl')} label={t.queueUrl} help={t.queueUrlHint} error={urlError}>
          {(describedBy, invalid) => (
            <input
              id={fid('queueUrl')}
              type="url"
              spellCheck={false}
              autoComplete="off"
              placeholder={stored.has('queueUrl') ? t.queueUrlSaved : 'https://sqs.eu-west-1.amazonaws.com/…'}
              value={url}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
        <SecretField
          id={fid('queueAccessKeyId')}
          field={{ name: 'queueAccessKeyId', label: t.accessKeyId, help: t.accessKeyIdHint }}
          saved={stored.has('queueAccessKeyId')}
          value={keyId}
          onChange={setKeyId}
        />
        <SecretField
          id={fid('queueSecretAccessKey')}
          field={{ name: 'queueSecretAccessKey', label: t.secretAccessKey, help: t.secretAccessKeyHint }}
          saved={stored.has('queueSecretAccessKey')}
          value={secret}
          onChange={setSecret}
        />
        {type === 'bol' ? (
          <Field id={fid('roleArn')} label={t.roleArn} help={t.roleArnHint}>
            {(describedBy) => (
              <input
                id={fid('roleArn')}
                type="text"
                spellCheck={false}
                value={role}
                aria-describedby={describedBy}
                onChange={(e) => setRole(e.target.value)}
              />
            )}
          </Field>
        ) : null}
        <div className="span-2 actions">
          <button type="button" disabled={busy} onClick={() => void check(false)}>
            {busy ? t.checking : t.check}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t.checkAndSave}
          </button>
        </div>
        {error ? (
          <div className="span-2 banner banner-error" role="alert" data-testid="faster-orders-result">
            <p>{error}</p>
          </div>
        ) : null}
        {result ? (
          <div
            className={`span-2 banner ${result.ok ? 'banner-ok' : 'banner-error'}`}
            role={result.ok ? 'status' : 'alert'}
            data-testid="faster-orders-result"
          >
            <p>
              <strong>{result.ok ? (result.saved ? t.resultSaved : t.resultOk) : t.resultFailed}.</strong>
            </p>
            <ul className="check-steps">
              {result.steps.map((s) => (
                <li key={s.step} data-testid={`faster-step-${s.step}`} data-state={s.state}>
                  <strong>
                    {t.stepNames[s.step]}: {t.stepState[s.state]}.
                  </strong>{' '}
                  {s.message}
                </li>
              ))}
            </ul>
            {result.hint ? <p>{result.hint}</p> : null}
          </div>
        ) : null}
      </form>
    </section>
  )
}

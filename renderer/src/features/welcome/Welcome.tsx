import { strings } from '../../strings'
import { useAppStore } from '../../stores/app-store'

export function Welcome() {
  const startDemo = useAppStore((s) => s.startDemo)
  const busy = useAppStore((s) => s.busy)
  const go = useAppStore((s) => s.go)
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">{strings.welcome.title}</h1>
      <p className="lead">{strings.welcome.body}</p>
      <div className="welcome-choices">
        <button type="button" className="choice choice-main" disabled={busy} onClick={() => void startDemo()}>
          <strong>{busy ? strings.welcome.demoStarting : strings.welcome.demo}</strong>
          <span>{strings.welcome.demoHint}</span>
        </button>
        <button type="button" className="choice" onClick={() => go('connections')}>
          <strong>{strings.welcome.connect}</strong>
          <span>{strings.welcome.connectHint}</span>
        </button>
      </div>
      <p className="muted">{strings.welcome.steps}</p>
    </section>
  )
}

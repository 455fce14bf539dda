import { strings } from '../../strings'
import { useAppStore } from '../../stores/app-store'

export function Welcome() {
  const startDemo = useAppStore((s) => s.startDemo)
  const go = useAppStore((s) => s.go)
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">{strings.welcome.title}</h1>
      <p>{strings.welcome.body}</p>
      <div className="welcome-choices">
        <button type="button" className="choice" onClick={() => void startDemo()}>
          <strong>{strings.welcome.demo}</strong>
          <span>{strings.welcome.demoHint}</span>
        </button>
        <button type="button" className="choice" onClick={() => go('connections')}>
          <strong>{strings.welcome.connect}</strong>
          <span>{strings.welcome.connectHint}</span>
        </button>
      </div>
    </section>
  )
}

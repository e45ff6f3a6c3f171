import { useState } from "preact/hooks";
import { createUserWithEmailAndPassword, signInAnonymously, signInWithEmailAndPassword } from "firebase/auth";
import { errorText, type Backend } from "../firebase";

/** Email/password (sign in, or create the account) and anonymous sign-in; the local demo offers its user. */
export function SignIn({ backend }: { backend: Backend }) {
  const demo = (backend.config as { demoUser?: { email: string; password: string } }).demoUser;
  const [email, setEmail] = useState(demo?.email ?? "");
  const [password, setPassword] = useState(demo?.password ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    void run(() => signInWithEmailAndPassword(backend.auth, email, password));
  };

  return (
    <main class="signin">
      <h1>TV tracker</h1>
      <p>Track every episode you watch, move in from TV Time or Trakt, and see what airs next.</p>
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          Email
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            minLength={6}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <div class="row">
          <button type="submit" disabled={busy}>
            Sign in
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => createUserWithEmailAndPassword(backend.auth, email, password))}
          >
            Create account
          </button>
        </div>
      </form>
      <p>
        <button type="button" class="secondary" disabled={busy} onClick={() => void run(() => signInAnonymously(backend.auth))}>
          Continue without an account
        </button>
      </p>
      {backend.config.emulators ? <p class="note">Local emulators: accounts live only on this machine.</p> : null}
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
    </main>
  );
}

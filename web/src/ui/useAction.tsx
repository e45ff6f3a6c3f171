import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { CallableName, CallableRequest, CallableResponse } from "@tvtracker/client";
import { useSession } from "../data";
import { errorText, type Backend } from "../firebase";

type Name = CallableName;
type Request<N extends Name> = CallableRequest<N>;
type Answer<N extends Name> = CallableResponse<N>;

export interface Action {
  /** Calls a callable through the typed client (`@tvtracker/client`), then `run`'s reporting. */
  call<N extends Name>(name: N, request: Request<N>, done?: (answer: Answer<N>) => string | void): Promise<void>;
  /** Runs `action`; shows its error, or `done`'s text (when it returns one) as a status line. */
  run<T>(action: () => Promise<T>, done?: (answer: T) => string | void): Promise<void>;
  /** The error (role="alert") and status (role="status") lines of the last action. */
  feedback: ComponentChildren;
}

/** Calls one callable by name through the typed client (`@tvtracker/client` has a method per callable). */
async function callNamed<N extends Name>(backend: Backend, name: N, request: Request<N>): Promise<Answer<N>> {
  const method = (await backend.api())[name] as (request: Request<N>) => Promise<Answer<N>>;
  return method(request);
}

/** One way for a screen to call the backend and tell the user how it went. */
export function useAction(): Action {
  const session = useSession();
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const run = async <T,>(action: () => Promise<T>, done?: (answer: T) => string | void) => {
    setError(null);
    setMessage(null);
    try {
      // Awaited before `done?.(…)`: an optional call does not evaluate its argument when `done` is absent.
      const answer = await action();
      const text = done?.(answer);
      if (text) setMessage(text);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const call = <N extends Name>(name: N, request: Request<N>, done?: (answer: Answer<N>) => string | void) =>
    run(() => callNamed(session.backend, name, request), done);
  const feedback = (
    <>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
    </>
  );
  return { call, run, feedback };
}

/**
 * A callable's answer for the screen, asked again when the active profile changes: `answer` is null until
 * it arrives, `error` says why it did not.
 */
export function useAnswer<N extends Name>(name: N, request: Request<N>): { answer: Answer<N> | null; error: string | null } {
  const session = useSession();
  const [answer, setAnswer] = useState<Answer<N> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setAnswer(null);
    setError(null);
    void callNamed(session.backend, name, request).then(
      (value) => live && setAnswer(value),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => void (live = false);
  }, [session.profileId]);
  return { answer, error };
}

// Shown instead of the app when it cannot reach core at all (e.g. opened without the access token).
export function StartupProblem({ message }: { message: string }) {
  return (
    <div className="startup-problem" role="alert">
      <h1>Snapshot Studio cannot connect</h1>
      <p>{message}</p>
    </div>
  );
}

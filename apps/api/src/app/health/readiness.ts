/**
 * Whether this process should get new traffic. On SIGTERM it is withdrawn before the HTTP server
 * stops accepting, so a load balancer polling readiness moves traffic away while in-flight and
 * late requests are still answered (main.ts).
 */
export class Readiness {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  drain(): void {
    this.draining = true;
  }
}

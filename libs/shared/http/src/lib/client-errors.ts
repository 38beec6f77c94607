import { maxHeaderSize, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problemType, titleForStatus } from './problem-details';

/**
 * Requests Node's HTTP parser refuses never reach Express: Node answers them itself with a bare
 * status line (431 for headers over its limit, 400 for malformed requests, 408 for slow ones).
 * This answers them as problem+json instead, while nothing has been written on the connection;
 * otherwise the connection is only closed.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }) => {
    if (socket.writable && (socket.bytesWritten ?? 0) === 0) {
      const problem = clientErrorProblem(error.code);
      const body = JSON.stringify(problem);
      socket.write(
        `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  });
}

export function clientErrorProblem(errorCode: string | undefined): ProblemDetails {
  switch (errorCode) {
    case 'HPE_HEADER_OVERFLOW':
      return problem(431, 'REQUEST.HEADERS_TOO_LARGE', `The request's headers are larger than this server accepts (${maxHeaderSizeText()} in all).`);
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem(413, 'REQUEST.CHUNK_EXTENSIONS_TOO_LARGE', 'The chunk extensions of the request body are too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(408, 'REQUEST.TIMEOUT', 'The request was not received in time.');
    default:
      return problem(400, 'REQUEST.MALFORMED_HTTP', 'The request is not valid HTTP/1.1.');
  }
}

function problem(status: number, code: string, detail: string): ProblemDetails {
  return { type: problemType(code), title: titleForStatus(status), status, detail, code };
}

function maxHeaderSizeText(): string {
  return `${Math.round(maxHeaderSize / 1024)} KB`;
}

// Types of bin/dist.mjs (plain JavaScript: it runs before any TypeScript can be loaded).
export interface SourceStamp {
  files: number;
  bytes: number;
  newestMtimeMs: number;
}
export declare const SOURCE_DIRS: string[];
export declare const DIST_DIR: string;
export declare const STAMP_FILE: string;
export declare function listSources(root: string): string[];
export declare function sourceStamp(root: string, files?: string[]): SourceStamp;
export declare function staleReason(built: SourceStamp | null, now: SourceStamp): string | null;
export declare function readBuildStamp(root: string): SourceStamp | null;
export declare function distState(root: string): { fresh: true; reason?: undefined } | { fresh: false; reason: string };

/**
 * The sandbox policy: immutable values describing what a sandboxed child may read, write,
 * execute and reach, and which environment it sees. {@link dev.halt.core.policy.SandboxPolicy}
 * is the value every launch starts from; {@code dev.halt.core.config} builds one from config
 * files and command-line flags, embedding code may build one directly.
 */
package dev.halt.core.policy;

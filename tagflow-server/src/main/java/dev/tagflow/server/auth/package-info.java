/**
 * Who a request is: {@link dev.tagflow.server.auth.AccessControl} is the entry point, holding API
 * tokens ({@link dev.tagflow.server.auth.ApiTokens}, SHA-256 digests of 256-bit secrets), local
 * users ({@link dev.tagflow.server.auth.Users}, Argon2id), web sessions ({@link
 * dev.tagflow.server.auth.Sessions}, HttpOnly SameSite=Strict cookie, derived CSRF token), the
 * login back-off ({@link dev.tagflow.server.auth.LoginThrottle}) and the request's {@link
 * dev.tagflow.server.auth.Authenticator}. The admin token of the first start is {@link
 * dev.tagflow.server.auth.AdminToken}.
 */
package dev.tagflow.server.auth;

package io.roster.api.auth;

import io.roster.api.Revisions;
import io.roster.auth.AuthService;
import io.roster.auth.Permission;
import io.roster.auth.Role;
import io.roster.auth.User;
import io.roster.common.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Users, roles and the auth switch (etcd's {@code /v3/auth}, adapted): all of it needs the root role,
 * except signing in.
 */
@RestController
@Tag(name = "Auth")
@RequestMapping("/v1/auth")
class AuthController {

    private final AuthService auth;

    AuthController(AuthService auth) {
        this.auth = auth;
    }

    record AuthenticateRequest(String name, String password) {
    }

    record TokenResponse(String token, String user, long expiresInSeconds) {
    }

    record StatusResponse(boolean enabled, int users, int roles) {
    }

    record UserRequest(String name, String password) {
    }

    record PasswordRequest(String password) {
    }

    record UserResponse(String name, List<String> roles, boolean password) {
        static UserResponse of(User user) {
            return new UserResponse(user.name(), user.roles(), user.hasPassword());
        }
    }

    record UsersResponse(List<UserResponse> users) {
    }

    record RoleRequest(String name) {
    }

    record PermissionView(String access, String prefix) {
        static PermissionView of(Permission permission) {
            return new PermissionView(permission.access().label(), permission.prefix());
        }

        Permission toPermission() {
            if (access == null) {
                throw InvalidInputException.invalid("access", "access is required: read, write, readwrite, register or discover");
            }
            return new Permission(Permission.Access.parse(access), prefix);
        }
    }

    record RoleResponse(String name, List<PermissionView> permissions) {
        static RoleResponse of(Role role) {
            return new RoleResponse(role.name(), role.permissions().stream().map(PermissionView::of).toList());
        }
    }

    record RolesResponse(List<RoleResponse> roles) {
    }

    @Operation(summary = "Trade a user's name and password for a short-lived token",
            description = "Send it as 'Authorization: Bearer <token>'; it expires after roster.auth.user-token-ttl.")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"token":"roster1.cGF5bWVudHMtc3Zj.1765000000.3q2-7w","user":"payments-svc","expiresInSeconds":300}""")))
    @PostMapping("/authenticate")
    Mono<TokenResponse> authenticate(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"name":"payments-svc","password":"a long password"}"""))) @RequestBody AuthenticateRequest request) {
        return offTheEventLoop(() -> {
            AuthService.Token token = auth.authenticate(request.name(), request.password());
            return new TokenResponse(token.token(), token.user(), token.expiresInSeconds());
        });
    }

    /**
     * Checking or hashing a password is bcrypt's deliberately slow work (tens of milliseconds): not on a
     * connection's event loop, which would stall every other request it serves meanwhile.
     */
    private static <T> Mono<T> offTheEventLoop(Callable<T> passwordWork) {
        return Mono.fromCallable(passwordWork).subscribeOn(Schedulers.boundedElastic());
    }

    @Operation(summary = "Whether users and roles are enforced")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"enabled":true,"users":3,"roles":2}""")))
    @GetMapping("/status")
    StatusResponse status() {
        AuthService.Status status = auth.status();
        return new StatusResponse(status.enabled(), status.users(), status.roles());
    }

    @Operation(summary = "Enforce users and roles", description = "Refused (409) until a user 'root' holds role 'root'.")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"enabled":true,"users":3,"roles":2}""")))
    @ApiResponse(responseCode = "409", description = "No user 'root' with role 'root'")
    @PostMapping("/enable")
    CompletableFuture<StatusResponse> enable(ServerWebExchange http) {
        return auth.enable(Callers.name(http)).thenApply(status -> new StatusResponse(status.enabled(), status.users(), status.roles()));
    }

    @Operation(summary = "Stop enforcing users and roles", description = "Users and roles stay, for the next enable.")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"enabled":false,"users":3,"roles":2}""")))
    @PostMapping("/disable")
    CompletableFuture<StatusResponse> disable(ServerWebExchange http) {
        return auth.disable(Callers.name(http)).thenApply(status -> new StatusResponse(status.enabled(), status.users(), status.roles()));
    }

    @Operation(summary = "List users")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"users":[{"name":"payments-svc","roles":["payments"],"password":true}]}""")))
    @GetMapping("/users")
    UsersResponse users() {
        return new UsersResponse(auth.users().stream().map(UserResponse::of).toList());
    }

    @Operation(summary = "Add a user", description = "Without a password the user signs in with a client certificate whose CN is its name.")
    @ApiResponse(responseCode = "201", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"name":"payments-svc","roles":[],"password":true}""")))
    @ApiResponse(responseCode = "409", description = "A user of that name exists")
    @PostMapping("/users")
    Mono<ResponseEntity<UserResponse>> addUser(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"name":"payments-svc","password":"a long password"}"""))) @RequestBody UserRequest request, ServerWebExchange http) {
        String caller = Callers.name(http);
        return offTheEventLoop(() -> auth.addUser(request.name(), request.password(), caller)).flatMap(Mono::fromCompletionStage)
                .map(added -> Revisions.respond(HttpStatus.CREATED, UserResponse.of(added.value()), added.revision()));
    }

    @Operation(summary = "Get a user")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"name":"payments-svc","roles":["payments"],"password":true}""")))
    @ApiResponse(responseCode = "404", description = "No such user")
    @GetMapping("/users/{name}")
    UserResponse user(@PathVariable String name) {
        return UserResponse.of(auth.user(name));
    }

    @Operation(summary = "Delete a user", description = "Its tokens stop working at once.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such user")
    @DeleteMapping("/users/{name}")
    CompletableFuture<ResponseEntity<Void>> deleteUser(@PathVariable String name, ServerWebExchange http) {
        return auth.deleteUser(name, Callers.name(http)).thenApply(done -> ResponseEntity.noContent().build());
    }

    @Operation(summary = "Change a user's password")
    @ApiResponse(responseCode = "204", description = "Changed")
    @ApiResponse(responseCode = "404", description = "No such user")
    @PutMapping("/users/{name}/password")
    Mono<ResponseEntity<Void>> changePassword(@PathVariable String name, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"password":"a new long password"}"""))) @RequestBody PasswordRequest request,
                                                           ServerWebExchange http) {
        String caller = Callers.name(http);
        return offTheEventLoop(() -> auth.changePassword(name, request.password(), caller)).flatMap(Mono::fromCompletionStage)
                .then(Mono.fromSupplier(() -> ResponseEntity.noContent().<Void>build()));
    }

    @Operation(summary = "Grant a user a role")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"name":"payments-svc","roles":["payments"],"password":true}""")))
    @ApiResponse(responseCode = "404", description = "No such user or role")
    @PutMapping("/users/{name}/roles/{role}")
    CompletableFuture<UserResponse> grantRole(@PathVariable String name, @PathVariable String role, ServerWebExchange http) {
        return auth.grantRole(name, role, Callers.name(http)).thenApply(UserResponse::of);
    }

    @Operation(summary = "Revoke a role from a user")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"name":"payments-svc","roles":[],"password":true}""")))
    @ApiResponse(responseCode = "404", description = "No such user, or it does not have the role")
    @DeleteMapping("/users/{name}/roles/{role}")
    CompletableFuture<UserResponse> revokeRole(@PathVariable String name, @PathVariable String role, ServerWebExchange http) {
        return auth.revokeRole(name, role, Callers.name(http)).thenApply(UserResponse::of);
    }

    @Operation(summary = "List roles", description = "Role root, which may do everything, is always there.")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"roles":[{"name":"payments","permissions":[{"access":"register","prefix":"payments"},{"access":"read","prefix":"config/payments/"}]},{"name":"root","permissions":[]}]}""")))
    @GetMapping("/roles")
    RolesResponse roles() {
        return new RolesResponse(auth.roles().stream().map(RoleResponse::of).toList());
    }

    @Operation(summary = "Add a role", description = "It holds no permission until one is granted.")
    @ApiResponse(responseCode = "201", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"name":"payments","permissions":[]}""")))
    @ApiResponse(responseCode = "409", description = "A role of that name exists")
    @PostMapping("/roles")
    CompletableFuture<ResponseEntity<RoleResponse>> addRole(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"name":"payments"}"""))) @RequestBody RoleRequest request, ServerWebExchange http) {
        return auth.addRole(request.name(), Callers.name(http))
                .thenApply(added -> Revisions.respond(HttpStatus.CREATED, RoleResponse.of(added.value()), added.revision()));
    }

    @Operation(summary = "Get a role")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"name":"payments","permissions":[{"access":"register","prefix":"payments"},{"access":"read","prefix":"config/payments/"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such role")
    @GetMapping("/roles/{name}")
    RoleResponse role(@PathVariable String name) {
        return RoleResponse.of(auth.role(name));
    }

    @Operation(summary = "Delete a role", description = "Users that held it keep its name but no permission from it.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such role")
    @DeleteMapping("/roles/{name}")
    CompletableFuture<ResponseEntity<Void>> deleteRole(@PathVariable String name, ServerWebExchange http) {
        return auth.deleteRole(name, Callers.name(http)).thenApply(done -> ResponseEntity.noContent().build());
    }

    @Operation(summary = "Grant a role a permission",
            description = "access: read, write or readwrite on keys under prefix; register or discover on services whose names start with prefix.")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"name":"payments","permissions":[{"access":"register","prefix":"payments"},{"access":"read","prefix":"config/payments/"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such role")
    @PostMapping("/roles/{name}/permissions")
    CompletableFuture<RoleResponse> grantPermission(@PathVariable String name, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(value = """
            {"access":"register","prefix":"payments"}"""))) @RequestBody PermissionView permission,
                                                    ServerWebExchange http) {
        return auth.grantPermission(name, permission.toPermission(), Callers.name(http)).thenApply(RoleResponse::of);
    }

    @Operation(summary = "Revoke a permission from a role")
    @ApiResponse(responseCode = "200", description = "Done", content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
            {"name":"payments","permissions":[{"access":"read","prefix":"config/payments/"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such role, or it does not hold the permission")
    @DeleteMapping("/roles/{name}/permissions")
    CompletableFuture<RoleResponse> revokePermission(@PathVariable String name, @RequestParam String access,
                                                     @RequestParam(defaultValue = "") String prefix, ServerWebExchange http) {
        return auth.revokePermission(name, new PermissionView(access, prefix).toPermission(), Callers.name(http))
                .thenApply(RoleResponse::of);
    }
}

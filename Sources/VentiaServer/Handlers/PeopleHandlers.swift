import Foundation
import VentiaAPI

/// People endpoints 13–18: users and groups.
extension VentiaAPIService {
    func listUsers(_ call: Call) throws(APIFailure) -> JSONValue {
        let (page, limit) = try call.crmPage()
        return try store.read { state throws(APIFailure) in
            let users = try state.userPage(of: call.account, page: page, size: limit)
            return .array(users.map { state.json($0, firstLogin: .flag) })
        }
    }

    func getUser(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "id")
        return try store.read { state throws(APIFailure) in
            state.json(try state.visibleUser(id, of: call.account), firstLogin: .date)
        }
    }

    func createUser(_ call: Call) throws(APIFailure) -> JSONValue {
        var body = try call.body()
        let name = body.string("name", required: true)
        let lastname = body.string("lastname", required: true)
        let email = body.string("email", required: true)
        let password = body.string("password", required: true)
        let phone = body.nullableString("phone_work")
        let roles = body.strings("roles")
        for error in UserFieldRules.check(name: name, lastname: lastname, email: email, roles: roles?.map(UserRole.init)) {
            body.fail(error.field, error.message)
        }
        if let password, password.count < 4 { body.fail("password", "must be at least 4 characters") }
        try body.finish()
        return try store.write { state throws(APIFailure) in
            try state.requireUniqueEmail(email ?? "", except: nil)
            let user = UserRecord(
                id: state.makeId(at: call.now), accountId: call.account.id, groupId: call.account.groupId, name: name ?? "",
                lastname: lastname ?? "", email: email ?? "", passwordDigest: PasswordDigest.make(password ?? ""),
                phoneWork: phone ?? nil, roles: roles ?? ["user"], active: true, firstLoginAt: nil)
            try state.save(user)
            return state.json(user, firstLogin: .flag)
        }
    }

    func updateUser(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "id")
        var body = try call.body()
        let name = body.string("name")
        let lastname = body.string("lastname")
        let email = body.string("email")
        let phone = body.nullableString("phone_work")
        let roles = body.strings("roles")
        if body.has("password") { body.fail("password", "cannot be changed through this endpoint") }
        for error in UserFieldRules.check(name: name, lastname: lastname, email: email, roles: roles?.map(UserRole.init)) {
            body.fail(error.field, error.message)
        }
        try body.finish()
        return try store.write { state throws(APIFailure) in
            var user = try state.visibleUser(id, of: call.account)
            if let email { try state.requireUniqueEmail(email, except: id) }
            if let name { user.name = name }
            if let lastname { user.lastname = lastname }
            if let email { user.email = email }
            if let phone { user.phoneWork = phone }
            if let roles { user.roles = roles }
            try state.save(user)
            return state.json(user, firstLogin: .omitted)
        }
    }

    func replaceUser(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "id")
        var body = try call.body()
        let name = body.string("name", required: true)
        let lastname = body.string("lastname", required: true)
        let email = body.string("email", required: true)
        let phone = body.nullableString("phone_work")
        let roles = body.strings("roles")
        for error in UserFieldRules.check(name: name, lastname: lastname, email: email, roles: roles?.map(UserRole.init)) {
            body.fail(error.field, error.message)
        }
        try body.finish()
        return try store.write { state throws(APIFailure) in
            var user = try state.visibleUser(id, of: call.account)
            try state.requireUniqueEmail(email ?? "", except: id)
            user.name = name ?? ""
            user.lastname = lastname ?? ""
            user.email = email ?? ""
            user.phoneWork = phone ?? nil
            user.roles = roles ?? ["user"]
            try state.save(user)
            return state.json(user, firstLogin: .omitted)
        }
    }

    func listGroups(_ call: Call) throws(APIFailure) -> JSONValue {
        let (page, limit) = try call.crmPage()
        return try store.read { state throws(APIFailure) in
            let groups = state.groupIds(of: call.account).compactMap { state.group($0) }
            return .array(groups.page(page, size: limit).map { state.json($0) })
        }
    }
}

/// Passwords are never stored or answered in the clear.
enum PasswordDigest {
    static func make(_ password: String) -> String {
        // FNV-1a: the local server holds demo users only, but a plain password should not sit in a data file.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in password.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(format: "fnv1a:%016llx", hash)
    }
}

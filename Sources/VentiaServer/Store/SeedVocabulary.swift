/// Names and phrases for the demo store: Uruguayan and Spanish, accents included.
enum SeedVocabulary {
    static let firstNames = [
        "Agustín", "Sofía", "Martín", "Lucía", "Joaquín", "Valentina", "Matías", "Camila", "Sebastián", "Florencia",
        "Nicolás", "Micaela", "Gonzalo", "Inés", "Federico", "María José", "Ramón", "Begoña", "Andrés", "Ximena",
        "Facundo", "Guadalupe", "Santiago", "Rocío", "Diego", "Agustina", "Tomás", "Belén", "Bruno", "Natalia",
        "Ignacio", "Josefina", "Rodrigo", "Lourdes", "Emiliano", "Mónica", "Germán", "Ángela", "Álvaro", "Noelia",
    ]
    static let lastNames = [
        "Suárez", "Pérez", "Rodríguez", "González", "Fernández", "López", "Martínez", "Díaz", "Sosa", "Núñez",
        "Muñoz", "Gómez", "Silva", "Pereira", "Acosta", "Benítez", "Olivera", "Méndez", "Ibáñez", "Castro",
        "Larrañaga", "Echeverría", "Viñoly", "Cabrera", "De León", "Píriz", "Bordaberry", "Techera", "Ferrés", "Añón",
    ]
    static let agentNames: [(String, String)] = [
        ("Lucía", "Fernández"), ("Martín", "Olivera"), ("Valentina", "Sosa"), ("Joaquín", "Méndez"),
        ("Camila", "Ibáñez"), ("Sebastián", "Núñez"), ("Florencia", "Castro"), ("Ramón", "Echeverría"),
    ]
    static let emailDomains = ["gmail.com", "adinet.com.uy", "hotmail.com", "vera.com.uy", "outlook.com"]
    static let details = [
        "Interesado en apartamento de 2 dormitorios en Pocitos.",
        "Pidió que lo llamen después de las 18 h.",
        "Consulta por financiación en 36 cuotas.",
        "Cliente de años; prefiere WhatsApp.",
        "Vio el aviso en Instagram, quiere visitar el sábado.",
        "Busca casa con jardín en Carrasco o Malvín.",
        "Compara precios con la competencia, volver a llamar.",
        "",
        "",
        "Referido por un cliente de Punta del Este.",
    ]
    static let notes = [
        "Llamé y no atendió, dejé mensaje.",
        "Confirmó visita para el jueves a las 10:00.",
        "Quiere ver la propuesta por escrito antes de decidir.",
        "Envié presupuesto por correo.",
        "Está esperando la aprobación del crédito hipotecario.",
        "Le interesa la unidad del 4.º piso, con vista al mar.",
        "Pide descuento por pago contado.",
        "Reagendar: viaja a Salto hasta el lunes.",
    ]
    static let inboundMessages = [
        "Hola, ¿sigue disponible?",
        "Buenas tardes, quería saber el precio.",
        "¿Me pueden llamar mañana?",
        "Gracias, lo voy a pensar.",
        "¿Aceptan permuta?",
    ]
    static let outboundMessages = [
        "¡Hola! Sí, sigue disponible. ¿Cuándo le queda bien visitarlo?",
        "Le envío la ficha con fotos y precio.",
        "Perfecto, lo llamo mañana a las 11.",
    ]
    static let products = ["Plan Hogar", "Plan Pyme", "Seguro Auto", "Fibra 300", "Plan Familia"]
    static let contactStatuses = ["new", "new", "contacted", "interested", "negotiation", "closed"]
}

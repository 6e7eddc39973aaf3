/** Spanish (Chilean) given names and surnames for the payroll; none starts with an accented letter, so initials stay ASCII. */

export const FIRST_NAMES: readonly string[] = [
  'Mauricio', 'Nicolás', 'Nahuel', 'Manuel', 'Maximiliano', 'José', 'Fernando', 'Alexis', 'Juan', 'Pedro',
  'Luis', 'Carlos', 'Jorge', 'Cristián', 'Rodrigo', 'Felipe', 'Sebastián', 'Diego', 'Matías', 'Gonzalo',
  'Patricio', 'Claudio', 'Francisco', 'Javier', 'Andrés', 'Marcelo', 'Ricardo', 'Héctor', 'Víctor', 'Raúl',
  'María', 'Camila', 'Valentina', 'Francisca', 'Daniela', 'Carolina', 'Paula', 'Javiera', 'Constanza', 'Fernanda',
];

export const SURNAMES: readonly string[] = [
  'Rodriguez', 'Huiriqueo', 'Marchetti', 'Liberona', 'Pozo', 'Figueroa', 'Pinto', 'González', 'Muñoz', 'Rojas',
  'Díaz', 'Pérez', 'Soto', 'Contreras', 'Silva', 'Martínez', 'Sepúlveda', 'Morales', 'López', 'Fuentes',
  'Hernández', 'Torres', 'Araya', 'Flores', 'Espinoza', 'Valenzuela', 'Castillo', 'Tapia', 'Reyes', 'Gutiérrez',
  'Castro', 'Pizarro', 'Vargas', 'Cortés', 'Carrasco', 'Núñez', 'Vega', 'Cárdenas', 'Jara', 'Navarro',
];
